"""Pure computation: numpy/scipy only, no Django import, no I/O."""
