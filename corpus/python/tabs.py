# Tabs for indentation, and a tab after code.
if x:
	if y:
		pass	# tab before a comment
	else:
		z = 1
