/* ph-about.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ph-about.h"

#define PORTHOLE_WEBSITE "https://github.com/porthole/porthole"

/* What a bug report needs and a user cannot easily find out: the exact build
 * and the libraries it runs with, which differ between distributions and
 * the Flatpak runtime. */
static char *
build_debug_info (void)
{
  GString *info = g_string_new (NULL);

  g_string_append_printf (info, "Porthole %s\n", PACKAGE_VERSION);
  g_string_append_printf (info, "Git commit: %s\n", PORTHOLE_GIT_ID);
  g_string_append_printf (info, "Application id: %s\n", APP_ID);
  g_string_append_printf (info, "Profile: %s\n", PROFILE);
  g_string_append_printf (info, "Flatpak: %s\n",
                          g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) ? "yes" : "no");
  g_string_append (info, "\n");
  g_string_append_printf (info, "GLib: %u.%u.%u\n",
                          glib_major_version, glib_minor_version, glib_micro_version);
  g_string_append_printf (info, "GTK: %u.%u.%u\n",
                          gtk_get_major_version (), gtk_get_minor_version (), gtk_get_micro_version ());
  g_string_append_printf (info, "libadwaita: %u.%u.%u\n",
                          adw_get_major_version (), adw_get_minor_version (), adw_get_micro_version ());
  g_string_append_printf (info, "libsoup: %u.%u.%u\n",
                          soup_get_major_version (), soup_get_minor_version (), soup_get_micro_version ());
  g_string_append_printf (info, "json-glib: %s (build)\n", JSON_VERSION_S);
  g_string_append (info, "\n");
  g_string_append_printf (info, "GDK backend: %s\n",
                          G_OBJECT_TYPE_NAME (gdk_display_get_default ()));
  g_string_append_printf (info, "Language: %s\n", pango_language_to_string (gtk_get_default_language ()));

  return g_string_free (info, FALSE);
}

/**
 * ph_about_window_new:
 * @parent: (nullable): the window the about window belongs to
 *
 * Creates Porthole's about window: version with the build's git id,
 * license, links, credits and troubleshooting information.
 *
 * Returns: (transfer floating): a new #AdwAboutWindow
 */
GtkWindow *
ph_about_window_new (GtkWindow *parent)
{
  static const char *developers[] = {
    "The Porthole Authors " PORTHOLE_WEBSITE "/graphs/contributors",
    NULL
  };
  g_autofree char *debug_info = NULL;
  g_autofree char *version = NULL;
  AdwAboutWindow *about;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  /* The git id tells apart builds of one version, which matters most for
   * development builds and bug reports. */
  if (g_strcmp0 (PORTHOLE_GIT_ID, "unknown") != 0)
    version = g_strdup_printf ("%s (%s)", PACKAGE_VERSION, PORTHOLE_GIT_ID);
  else
    version = g_strdup (PACKAGE_VERSION);

  debug_info = build_debug_info ();

  about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  g_object_set (about,
                "application-name", _("Porthole"),
                "application-icon", APP_ID,
                "version", version,
                "release-notes-version", PACKAGE_VERSION,
                "comments", _("A native desktop dashboard for Kubernetes: live lists of many clusters and namespaces, "
                              "details of every object, and plugins installed safely."),
                "developer-name", _("The Porthole Authors"),
                "developers", developers,
                "copyright", _("© 2026 The Porthole Authors"),
                "license-type", GTK_LICENSE_GPL_3_0,
                "website", PORTHOLE_WEBSITE,
                "issue-url", PORTHOLE_WEBSITE "/issues",
                /* Translators: put your names here, one per line, as
                 * "Name <email>" or "Name https://website". */
                "translator-credits", _("translator-credits"),
                "debug-info", debug_info,
                "debug-info-filename", "porthole-debug-info.txt",
                NULL);

  adw_about_window_add_link (about, _("_Source Code"), PORTHOLE_WEBSITE);
  adw_about_window_add_link (about, _("_Translations"), PORTHOLE_WEBSITE "/tree/main/po");
  adw_about_window_add_link (about, _("_Kubernetes Documentation"), "https://kubernetes.io/docs/home/");

  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (about), parent);
      gtk_window_set_modal (GTK_WINDOW (about), TRUE);
    }

  return GTK_WINDOW (about);
}

/**
 * ph_show_about_window:
 * @parent: (nullable): the window the about window belongs to
 *
 * Creates and presents Porthole's about window.
 */
void
ph_show_about_window (GtkWindow *parent)
{
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));

  gtk_window_present (ph_about_window_new (parent));
}
