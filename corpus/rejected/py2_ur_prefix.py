s = ur'x'
