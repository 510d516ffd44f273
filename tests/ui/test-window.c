/* test-window.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "ph-application.h"
#include "ph-window.h"

static void
test_window_opens (void)
{
  g_autoptr(PhApplication) app = ph_application_new ();
  PhWindow *window;

  g_application_register (G_APPLICATION (app), NULL, NULL);
  window = ph_window_new (app);
  g_assert_true (PH_IS_WINDOW (window));
  gtk_window_present (GTK_WINDOW (window));

  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  gtk_window_destroy (GTK_WINDOW (window));

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/porthole/window/opens", test_window_opens);

  return g_test_run ();
}
