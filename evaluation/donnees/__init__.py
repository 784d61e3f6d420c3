"""Raw -> validated: the data contract, reading, rules, problems, the territory."""
