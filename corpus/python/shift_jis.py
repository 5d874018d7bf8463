# coding: shift_jis
message = 'こんにちは'
