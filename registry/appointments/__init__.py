"""Appointments (udpegninger) with date ranges, the one-holder rule and as-of queries."""
