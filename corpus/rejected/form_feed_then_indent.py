# A form feed resets the column; the spaces after it still indent the line.
    x = 1
