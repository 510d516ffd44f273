static void g (void) { _("x"); }
