"""The citizens' half of tracking: the status page and its API, complaints (PAKN), ratings, the public scoreboard."""
