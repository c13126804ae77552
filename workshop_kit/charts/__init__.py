"""Charts (matplotlib): each function takes ``ax=None``, draws, returns the Axes.

Nothing here writes files (that is :mod:`workshop_kit.export`) or calls ``plt.show()``.
"""
