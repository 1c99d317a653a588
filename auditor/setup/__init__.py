"""A run's setup, read before any document: the configuration file (config), which files a
run reads (paths), and the approved exceptions to rules (waivers)."""
