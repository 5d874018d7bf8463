# nothing but
# comments
