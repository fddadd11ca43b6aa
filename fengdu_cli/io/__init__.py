"""Reading and writing files: the only modules that touch the file system."""
