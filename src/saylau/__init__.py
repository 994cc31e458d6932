"""saylau: administers the election of local executives by the councils that elect them."""

__version__ = "0.1.0"
