# Every string prefix, quote and escape.
s = 'single', "double", '''triple single''', """triple double"""
s = r'raw \d', R"raw", u'unicode', U"unicode", b'bytes', B"bytes"
s = br'raw bytes', Br'x', bR"x", BR'x', rb'x', rB"x", Rb'x', RB"x"
s = f'f', F"f", fr'{x}\d', Fr"x", fR'x', FR"x", rf'x', rF"x", Rf'x', RF"x"
s = '\n\t\r\\\'\"\a\b\f\v\0\x41\101\u00e9\U0001F600\N{LATIN SMALL LETTER E WITH ACUTE}'
s = b'\n\t\x00\xff\377\\'
s = 'unknown escape \d stays'  # a DeprecationWarning in 3.11, not an error
s = 'implicit' "concatenation" '''of''' """four"""
s = ('across'
     'lines')
s = 'line \
continuation inside a string'
s = """a "quote" inside, and ""two"", and \""" escaped"""
s = '''it's'''
s = ''
s = """"""
s = 'ünïcödé ☃ 😀'
s = '\N{SNOWMAN} \N{EM DASH}'
s = rb'\x00' b'\x01'
s = b'bytes' b'only'
