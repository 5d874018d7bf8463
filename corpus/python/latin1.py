# -*- coding: latin-1 -*-
# PEP 263: a Latin-1 file.
name = 'été'
