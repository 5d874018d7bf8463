name = 'x'
greeting = t'hello {name}'
