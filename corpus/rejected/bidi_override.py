x = 1 ‮ # reversed
