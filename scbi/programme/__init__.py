"""Programme configuration: phases, sectors, institutions, priority results, frameworks."""
