"""Reliability and security suite: crashes, concurrency, bad input, properties, privacy."""
