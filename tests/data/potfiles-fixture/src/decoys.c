/* A comment that mentions _("not a call") must not count, */
// nor a line comment with N_("this"),
static const char *s = "nor a string with _(\"that\")";
#define G_N_ELEMENTS_LIKE(x) my_(x) + foo_N_(x) + G_N_ELEMENTS (x)
