"""Everything that writes files: charts, take-home packs, data exports, paper forms.

The rest of the kit only computes and draws; this package is the one place that saves.
"""
