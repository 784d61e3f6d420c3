"""The yearly build: tasks from the plans, fingerprints, executors, kernels, exports."""
