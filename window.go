package main

// runWindow opens the Wails window; filled in by the foundation work.
func runWindow() int { return 0 }
