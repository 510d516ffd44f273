/* test-i18n.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "ph-about.h"
#include "ph-application.h"
#include "ph-window.h"

/* The tests run Porthole in German from the build tree's catalogs
 * (PORTHOLE_BUILD_LOCALEDIR/de/LC_MESSAGES/porthole.mo). glibc honours
 * LANGUAGE under the built-in C.UTF-8 locale, so no locale has to be
 * generated; under plain "C" it ignores LANGUAGE, and the tests skip. */

static char *tmp_dir;

/* Switches between the German catalog and none (English). The language
 * itself is only set once, before any thread exists: setenv() is not
 * thread-safe. Binding the domain again also drops gettext's cache. */
static void
use_german (gboolean german)
{
  bindtextdomain (GETTEXT_PACKAGE, german ? PORTHOLE_BUILD_LOCALEDIR : tmp_dir);
}

static gboolean
language_switching_works (void)
{
  const char *locale = setlocale (LC_MESSAGES, NULL);

  if (locale == NULL || g_str_equal (locale, "C") || g_str_equal (locale, "POSIX"))
    {
      g_test_skip ("LC_MESSAGES is the C locale, where gettext ignores LANGUAGE; run with LC_ALL=C.UTF-8");
      return FALSE;
    }

  return TRUE;
}

static void
collect_texts (GtkWidget  *widget,
               GHashTable *texts)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (GTK_IS_LABEL (widget))
    {
      const char *label = gtk_label_get_label (GTK_LABEL (widget));

      if (label != NULL && *label != '\0')
        g_hash_table_add (texts, g_strdup (label));
    }

  if (GTK_IS_WINDOW (widget) && gtk_window_get_title (GTK_WINDOW (widget)) != NULL)
    g_hash_table_add (texts, g_strdup (gtk_window_get_title (GTK_WINDOW (widget))));

  if (tooltip != NULL)
    g_hash_table_add (texts, g_strdup (tooltip));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_texts (child, texts);
}

static GHashTable *
window_texts (GtkWindow *window)
{
  GHashTable *texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  collect_texts (GTK_WIDGET (window), texts);

  return texts;
}

static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_catalog (void)
{
  if (!language_switching_works ())
    return;

  /* Strings of ph-about.c, which change less than the window's. */
  use_german (TRUE);
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "_Source Code"), ==, "_Quelltext");
  g_assert_cmpstr (_("_Kubernetes Documentation"), ==, "_Kubernetes-Dokumentation");

  use_german (FALSE);
  g_assert_cmpstr (_("_Kubernetes Documentation"), ==, "_Kubernetes Documentation");

  use_german (TRUE);
}

static void
test_about_window (void)
{
  const char *english = "A native desktop dashboard for Kubernetes: live lists of many clusters "
                        "and namespaces, details of every object, and plugins installed safely.";
  g_autoptr(GHashTable) texts = NULL;
  GtkWindow *about;

  if (!language_switching_works ())
    return;

  use_german (TRUE);
  about = ph_about_window_new (NULL);
  gtk_window_present (about);
  drain_main_context ();

  texts = window_texts (about);
  g_assert_true (g_hash_table_contains (texts,
                                        "Ein natives Desktop-Dashboard für Kubernetes: Live-Listen vieler Cluster "
                                        "und Namespaces, Details jedes Objekts und sicher installierte Plugins."));
  g_assert_true (g_hash_table_contains (texts, "_Quelltext"));
  g_assert_false (g_hash_table_contains (texts, english));
  g_assert_false (g_hash_table_contains (texts, "_Source Code"));

  gtk_window_destroy (about);
  drain_main_context ();
}

/* The about window names the exact build: version, git id, and the
 * libraries it runs with in the troubleshooting text. */
static void
test_about_build_info (void)
{
  g_autofree char *version = NULL;
  g_autofree char *debug_info = NULL;
  g_autofree char *git_line = g_strdup_printf ("Git commit: %s\n", PORTHOLE_GIT_ID);
  GtkWindow *about = ph_about_window_new (NULL);

  g_object_get (about, "version", &version, "debug-info", &debug_info, NULL);
  g_assert_true (g_str_has_prefix (version, PACKAGE_VERSION));
  if (g_strcmp0 (PORTHOLE_GIT_ID, "unknown") != 0)
    g_assert_nonnull (strstr (version, PORTHOLE_GIT_ID));
  g_assert_nonnull (strstr (debug_info, git_line));
  g_assert_nonnull (strstr (debug_info, "GTK: "));
  g_assert_nonnull (strstr (debug_info, "libadwaita: "));
  g_assert_cmpstr (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)), ==, APP_ID);
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==, GTK_LICENSE_GPL_3_0);

  gtk_window_destroy (about);
  drain_main_context ();
}

/* One application for the whole program, as in the app itself. */
static PhApplication *app;

static GHashTable *
main_window_texts (void)
{
  PhWindow *window;

  if (app == NULL)
    {
      app = ph_application_new ();
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
    }

  /* Only what the window's templates build: later content depends on
   * clusters and timing, and both languages must see the same window.
   * The windows stay open until the program ends: this test is about
   * their words, not their teardown. */
  window = ph_window_new (app);
  g_assert_nonnull (window);

  return window_texts (GTK_WINDOW (window));
}

/* Builds the main window in English and in German and checks that every
 * label, title and tooltip of the English window that has a German
 * translation appears translated in the German window. */
static void
test_main_window (void)
{
  g_autoptr(GHashTable) german = NULL;
  g_autoptr(GHashTable) english = NULL;
  g_autoptr(GString) untranslated = g_string_new (NULL);
  GHashTableIter iter;
  const char *text;
  guint translated = 0;

  if (!language_switching_works ())
    return;

  use_german (TRUE);
  german = main_window_texts ();
  use_german (FALSE);
  english = main_window_texts ();
  use_german (TRUE);

  g_hash_table_iter_init (&iter, english);
  while (g_hash_table_iter_next (&iter, (gpointer *) &text, NULL))
    {
      const char *translation = g_dgettext (GETTEXT_PACKAGE, text);

      if (translation == text || g_str_equal (translation, text))
        continue;

      translated++;
      if (!g_hash_table_contains (german, translation))
        g_string_append_printf (untranslated, "“%s” is not shown as “%s”; ", text, translation);
    }

  if (untranslated->len > 0)
    g_error ("The German window misses translations: %s", untranslated->str);

  g_test_message ("Strings of the window with a German translation: %u", translated);

  /* The window must show at least one of its strings in German, or this
   * test would pass with no catalog at all. */
  g_assert_cmpuint (translated, >, 0);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }

  g_rmdir (path);
}

static void
set_dir_env (const char *variable,
             const char *name)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

  g_mkdir (path, 0700);
  g_setenv (variable, path, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *kubeconfig = NULL;
  int ret;

  /* Before GTK sets the locale from the environment. */
  g_setenv ("LANGUAGE", "de", TRUE);

  /* A kubeconfig that does not exist: the window shows what it shows
   * without clusters, the same in both languages, and never touches the
   * user's clusters. The same folder, which holds no catalogs, stands for
   * "no translation". */
  tmp_dir = g_dir_make_tmp ("porthole-i18n-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  kubeconfig = g_build_filename (tmp_dir, "missing-kubeconfig", NULL);
  g_setenv ("KUBECONFIG", kubeconfig, TRUE);
  /* Whatever the app keeps (plugins, caches) stays in the test's folder. */
  set_dir_env ("XDG_DATA_HOME", "data");
  set_dir_env ("XDG_CONFIG_HOME", "config");
  set_dir_env ("XDG_CACHE_HOME", "cache");
  /* Mesa would write its shader cache there on exit, after the cleanup. */
  g_setenv ("MESA_SHADER_CACHE_DISABLE", "true", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  /* gtk_test_init() forces en_US.UTF-8 (absent on most test machines):
   * take the locale from the environment again. */
  setlocale (LC_ALL, "");
  adw_init ();

  bindtextdomain (GETTEXT_PACKAGE, PORTHOLE_BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_add_func ("/porthole/i18n/catalog", test_catalog);
  g_test_add_func ("/porthole/i18n/about-window", test_about_window);
  g_test_add_func ("/porthole/i18n/main-window", test_main_window);
  g_test_add_func ("/porthole/about/build-info", test_about_build_info);

  ret = g_test_run ();

  /* Threads of the app may still be settling files in there (plugin
   * recovery, caches): try again for a while. */
  for (guint i = 0; i < 50 && g_file_test (tmp_dir, G_FILE_TEST_EXISTS); i++)
    {
      remove_tree (tmp_dir);
      if (g_file_test (tmp_dir, G_FILE_TEST_EXISTS))
        g_usleep (G_USEC_PER_SEC / 10);
    }
  g_free (tmp_dir);

  return ret;
}
