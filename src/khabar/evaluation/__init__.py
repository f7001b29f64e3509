"""Evaluation helpers: read gold files, score predictions against them."""
