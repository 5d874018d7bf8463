pattern = rt'\d{n}'
