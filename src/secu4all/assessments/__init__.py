"""Risk and vulnerability assessment of public spaces and soft targets."""
