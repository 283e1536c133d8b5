"""The posture service: a verdict per applicable obligation for an organisation graph."""
