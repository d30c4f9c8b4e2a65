"""The SEN2 return: its validation all year, and its export."""
