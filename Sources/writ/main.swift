import WritDriver
print("writ")
