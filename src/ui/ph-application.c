/* ph-application.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ph-application.h"
#include "ph-window.h"

struct _PhApplication
{
  AdwApplication parent_instance;

  gboolean demo;
};

G_DEFINE_FINAL_TYPE (PhApplication, ph_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Start simulated demo clusters and show them"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version"), NULL },
  { NULL }
};

static int
ph_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  PhApplication *self = PH_APPLICATION (app);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("porthole %s (%s)\n", PACKAGE_VERSION, PORTHOLE_GIT_ID);
      return 0;
    }

  self->demo = g_variant_dict_contains (options, "demo");

  return -1;
}

static void
ph_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (ph_window_new (PH_APPLICATION (app)));

  gtk_window_present (window);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
};

static void
ph_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (ph_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
}

static void
ph_application_class_init (PhApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->handle_local_options = ph_application_handle_local_options;
  app_class->startup = ph_application_startup;
  app_class->activate = ph_application_activate;
}

static void
ph_application_init (PhApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("A native desktop dashboard for Kubernetes."));
}

PhApplication *
ph_application_new (void)
{
  return g_object_new (PH_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", RESOURCE_BASE_PATH,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       NULL);
}
