"""Development tools that drive the kiosk from outside its product package (kiosk/)."""
