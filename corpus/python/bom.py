# A UTF-8 byte order mark before the first line.
x = 'é'
