"""One module per site section; sections never import each other."""
