# Trains the churn model (a stand-in for a real training script).
LEARNING_RATE = 0.01
EPOCHS = 20
