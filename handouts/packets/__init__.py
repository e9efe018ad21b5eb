"""Packets: several handouts in one print document, with a cover and contents."""
