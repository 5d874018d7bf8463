raise E, 'message'
