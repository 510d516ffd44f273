/* main.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "ph-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PhApplication) app = NULL;

  /* PORTHOLE_LOCALEDIR lets the build tree and the tests use translations
   * that are not installed yet. */
  const char *localedir = g_getenv ("PORTHOLE_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = ph_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
