void f (void) { puts (_("Hello")); }
