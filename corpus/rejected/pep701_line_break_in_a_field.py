total = f"{
    1 + 2
}"
