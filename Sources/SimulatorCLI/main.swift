print("platform-simulator")
