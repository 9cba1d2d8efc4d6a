"""English as written in Europe: British dates, not Django's American defaults."""
