static const char *s = N_("listed");
