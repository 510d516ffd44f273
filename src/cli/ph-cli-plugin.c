/* ph-cli-plugin.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ph-cli-commands.h"
#include "ph-plugin-error.h"
#include "ph-plugin-installer.h"
#include "ph-semver.h"

typedef struct {
  char     **catalogs;
  char      *dir;
  char      *output;
  gboolean   all;
  gboolean   force;
  const char *command;
  GCancellable *cancellable;  /* cancelled by Ctrl+C or SIGTERM */
} Options;

static void
options_clear (Options *o)
{
  g_strfreev (o->catalogs);
  g_free (o->dir);
  g_free (o->output);
  g_clear_object (&o->cancellable);
}

/* Ctrl+C cancels the operation instead of killing the process, so it
 * cleans up its staging folder and exits with one line saying so.  A
 * second one kills at once, which the installer survives too. */
static gpointer
signal_thread (gpointer data)
{
  GCancellable *cancellable = data;
  sigset_t set;
  int sig;

  sigemptyset (&set);
  sigaddset (&set, SIGINT);
  sigaddset (&set, SIGTERM);

  if (sigwait (&set, &sig) != 0)
    return NULL;
  g_cancellable_cancel (cancellable);
  if (sigwait (&set, &sig) != 0)
    return NULL;
  signal (sig, SIG_DFL);
  pthread_sigmask (SIG_UNBLOCK, &set, NULL);
  raise (sig);

  return NULL;
}

static void
cancel_on_signals (GCancellable *cancellable)
{
  sigset_t set;

  /* Blocked before any thread starts, so every later thread inherits
   * the mask and only signal_thread ever sees these signals. */
  sigemptyset (&set);
  sigaddset (&set, SIGINT);
  sigaddset (&set, SIGTERM);
  pthread_sigmask (SIG_BLOCK, &set, NULL);

  g_thread_unref (g_thread_new ("signals", signal_thread, g_object_ref (cancellable)));
}

static int
fail (const char *command,
      const char *message)
{
  fprintf (stderr, "porthole-cli plugin %s: %s\n", command, message);
  return 1;
}

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n", _("Usage: porthole-cli plugin COMMAND [OPTION…]"));
  fprintf (out, "\n%s\n", _("Commands:"));
  fprintf (out, "  %-28s %s\n", "search [TERM]", _("Search the catalogs"));
  fprintf (out, "  %-28s %s\n", "list [-o json]", _("List installed plugins"));
  fprintf (out, "  %-28s %s\n", "install NAME[@VERSION]", _("Install a plugin"));
  fprintf (out, "  %-28s %s\n", "update NAME|--all", _("Update plugins to their newest compatible version"));
  fprintf (out, "  %-28s %s\n", "uninstall NAME [--force]", _("Remove a plugin"));
  fprintf (out, "\n%s\n", _("Options:"));
  fprintf (out, "  %-28s %s\n", "--catalog URL", _("A catalog index (https://, file:// or a path); repeatable"));
  fprintf (out, "  %-28s %s\n", "--dir DIR", _("The plugin folder (default: the user plugin folder)"));
}

/* The catalogs of --catalog, or else of the plugin-catalogs setting when
 * the schema is installed. */
static char **
default_catalogs (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (source == NULL)
    return NULL;
  /* The development profile installs its schema under its own id. */
  schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    schema = g_settings_schema_source_lookup (source, BASE_APP_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "plugin-catalogs"))
    return NULL;

  settings = g_settings_new_full (schema, NULL, NULL);
  return g_settings_get_strv (settings, "plugin-catalogs");
}

static gboolean
load_catalogs (PhPluginInstaller  *installer,
               Options            *o,
               gboolean            tolerate_failures,
               GError            **error)
{
  g_auto(GStrv) fallback = NULL;
  char **locations = o->catalogs;
  guint loaded = 0;

  if (locations == NULL || locations[0] == NULL)
    locations = fallback = default_catalogs ();

  if (locations == NULL || locations[0] == NULL)
    {
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_NO_CATALOG,
                   _("no plugin catalog: pass --catalog URL or set the “plugin-catalogs” setting"));
      return FALSE;
    }

  for (guint i = 0; locations[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(PhPluginCatalog) catalog = ph_plugin_catalog_load (locations[i], o->cancellable, &local_error);

      if (catalog == NULL)
        {
          if (!tolerate_failures)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          fprintf (stderr, _("Warning: %s\n"), local_error->message);
          continue;
        }
      ph_plugin_installer_add_catalog (installer, catalog);
      loaded++;
    }

  if (loaded == 0)
    {
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_NO_CATALOG, _("no catalog could be read"));
      return FALSE;
    }

  return TRUE;
}

static void
print_progress (PhPluginPhase phase,
                guint64       done,
                guint64       total,
                gpointer      user_data)
{
  PhPluginPhase *last = user_data;
  gboolean tty = isatty (STDERR_FILENO);

  if (phase == PH_PLUGIN_PHASE_DOWNLOADING && done > 0)
    {
      if (tty)
        {
          g_autofree char *d = g_format_size (done);
          if (total > 0)
            {
              g_autofree char *t = g_format_size (total);
              fprintf (stderr, "\r%s %s / %s", _("Downloading…"), d, t);
            }
          else
            fprintf (stderr, "\r%s %s", _("Downloading…"), d);
        }
      *last = phase;
      return;
    }
  if (phase == *last)
    return;
  if (*last == PH_PLUGIN_PHASE_DOWNLOADING && tty)
    fputc ('\n', stderr);
  *last = phase;

  switch (phase)
    {
    case PH_PLUGIN_PHASE_WAITING:
      fprintf (stderr, "%s\n", _("Waiting for another plugin operation on this folder…"));
      break;
    case PH_PLUGIN_PHASE_RESOLVING:
      fprintf (stderr, "%s\n", _("Resolving…"));
      break;
    case PH_PLUGIN_PHASE_DOWNLOADING:
      if (!tty)
        fprintf (stderr, "%s\n", _("Downloading…"));
      break;
    case PH_PLUGIN_PHASE_VERIFYING:
      fprintf (stderr, "%s\n", _("Verifying the checksum…"));
      break;
    case PH_PLUGIN_PHASE_EXTRACTING:
      fprintf (stderr, "%s\n", _("Extracting…"));
      break;
    case PH_PLUGIN_PHASE_CHECKING:
      fprintf (stderr, "%s\n", _("Checking the plugin…"));
      break;
    case PH_PLUGIN_PHASE_SWAPPING:
      fprintf (stderr, "%s\n", _("Putting the plugin in place…"));
      break;
    case PH_PLUGIN_PHASE_CLEANING:
    default:
      break;
    }
}

static int
cmd_search (PhPluginInstaller *installer,
            Options           *o,
            const char        *term)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  const char *porthole = ph_plugin_installer_get_porthole_version (installer);

  if (!load_catalogs (installer, o, TRUE, &error))
    return fail ("search", error->message);

  found = ph_plugin_installer_search (installer, term);
  if (found->len == 0)
    {
      fprintf (stderr, "%s\n", _("No plugins found"));
      return 0;
    }

  printf ("%-24s %-14s %s\n", _("NAME"), _("VERSION"), _("TITLE"));
  for (guint i = 0; i < found->len; i++)
    {
      PhCatalogPlugin *plugin = g_ptr_array_index (found, i);
      const PhCatalogVersion *best = ph_catalog_plugin_find_compatible (plugin, porthole);
      const PhCatalogVersion *newest = ph_catalog_plugin_get_n_versions (plugin) > 0
                                     ? ph_catalog_plugin_get_version (plugin, 0) : NULL;

      printf ("%-24s %-14s %s", ph_catalog_plugin_get_name (plugin),
              best ? best->version : "-", ph_catalog_plugin_get_title (plugin));
      if (newest != NULL && newest != best)
        printf (_(" (%s needs Porthole %s)"), newest->version, newest->version_compat);
      printf ("\n");
    }

  return 0;
}

static int
cmd_list (PhPluginInstaller *installer,
          Options           *o)
{
  g_autoptr(GPtrArray) plugins = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;

  if (o->output != NULL)
    {
      if (strcmp (o->output, "json") != 0)
        {
          g_autofree char *msg = g_strdup_printf (_("unknown output format “%s” (only “json”)"), o->output);
          return fail ("list", msg);
        }
      json = TRUE;
    }

  /* Finishing an interrupted operation first makes the list true; an
   * unwritable folder (a shipped one) just cannot have one. */
  if (g_file_test (ph_plugin_installer_get_directory (installer), G_FILE_TEST_IS_DIR) &&
      access (ph_plugin_installer_get_directory (installer), W_OK) == 0 &&
      !ph_plugin_installer_recover_if_idle (installer, &error))
    return fail ("list", error->message);

  plugins = ph_plugin_installer_list (installer);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_array (b);
      for (guint i = 0; i < plugins->len; i++)
        {
          PhInstalledPlugin *p = g_ptr_array_index (plugins, i);
          const struct { const char *key; const char *value; } fields[] = {
            { "name", ph_installed_plugin_get_name (p) },
            { "version", ph_installed_plugin_get_version (p) },
            { "title", ph_installed_plugin_get_title (p) },
            { "source", ph_plugin_source_to_string (ph_installed_plugin_get_source (p)) },
            { "path", ph_installed_plugin_get_path (p) },
            { "catalog", ph_installed_plugin_get_catalog (p) },
            { "sha256", ph_installed_plugin_get_sha256 (p) },
            { "installedAt", ph_installed_plugin_get_installed_at (p) },
            { "error", ph_installed_plugin_get_error (p) },
            { "shadows", ph_installed_plugin_get_shadows (p) },
          };

          json_builder_begin_object (b);
          for (guint k = 0; k < G_N_ELEMENTS (fields); k++)
            {
              json_builder_set_member_name (b, fields[k].key);
              if (fields[k].value != NULL)
                json_builder_add_string_value (b, fields[k].value);
              else
                json_builder_add_null_value (b);
            }
          json_builder_set_member_name (b, "managed");
          json_builder_add_boolean_value (b, ph_installed_plugin_get_managed (p));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);

      root = json_builder_get_root (b);
      json_generator_set_root (gen, root);
      json_generator_set_pretty (gen, TRUE);
      text = json_generator_to_data (gen, NULL);
      printf ("%s\n", text);
      return 0;
    }

  if (plugins->len == 0)
    {
      fprintf (stderr, "%s\n", _("No plugins installed"));
      return 0;
    }

  printf ("%-24s %-12s %-8s %-8s %s\n", _("NAME"), _("VERSION"), _("SOURCE"), _("MANAGED"), _("STATUS"));
  for (guint i = 0; i < plugins->len; i++)
    {
      PhInstalledPlugin *p = g_ptr_array_index (plugins, i);
      const char *err = ph_installed_plugin_get_error (p);

      printf ("%-24s %-12s %-8s %-8s %s\n", ph_installed_plugin_get_name (p),
              ph_installed_plugin_get_version (p) ?: "-",
              ph_plugin_source_to_string (ph_installed_plugin_get_source (p)),
              ph_installed_plugin_get_managed (p) ? _("yes") : _("no"),
              err ? err : _("ok"));
    }

  return 0;
}

static int
cmd_install (PhPluginInstaller *installer,
             Options           *o,
             const char        *spec)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *installed = NULL;
  const char *at = strchr (spec, '@');
  const char *version = NULL;
  PhPluginPhase last = (PhPluginPhase) -1;

  name = at ? g_strndup (spec, at - spec) : g_strdup (spec);
  if (at != NULL)
    version = at + 1;

  if (!ph_plugin_name_is_valid (name))
    {
      g_autofree char *msg = g_strdup_printf (_("“%s” is not a valid plugin name"), name);
      return fail ("install", msg);
    }
  if (!load_catalogs (installer, o, FALSE, &error))
    return fail ("install", error->message);

  installed = ph_plugin_installer_install (installer, name, version, o->force,
                                           print_progress, &last, o->cancellable, &error);
  if (installed == NULL)
    return fail ("install", error->message);

  printf (_("Installed %s %s in %s\n"), name, installed, ph_plugin_installer_get_directory (installer));
  return 0;
}

static int
update_one (PhPluginInstaller *installer,
            Options           *o,
            const char        *name,
            gboolean           all)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *updated = NULL;
  PhPluginPhase last = (PhPluginPhase) -1;

  updated = ph_plugin_installer_update (installer, name, print_progress, &last, o->cancellable, &error);
  if (updated == NULL)
    {
      if (g_error_matches (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_UP_TO_DATE))
        {
          printf ("%s\n", error->message);
          return 0;
        }
      /* With --all, a plugin no catalog lists is simply not updatable. */
      if (all && g_error_matches (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_NOT_FOUND))
        {
          fprintf (stderr, _("Skipping %s: %s\n"), name, error->message);
          return 0;
        }
      return fail ("update", error->message);
    }

  printf (_("Updated %s to %s\n"), name, updated);
  return 0;
}

static int
cmd_update (PhPluginInstaller *installer,
            Options           *o,
            const char        *name)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  if ((name == NULL) == !o->all)
    return fail ("update", _("give either a plugin name or --all"));
  if (!load_catalogs (installer, o, FALSE, &error))
    return fail ("update", error->message);

  if (name != NULL)
    return update_one (installer, o, name, FALSE);

  {
    g_autoptr(GPtrArray) plugins = ph_plugin_installer_list (installer);
    guint n = 0;

    for (guint i = 0; i < plugins->len; i++)
      {
        PhInstalledPlugin *p = g_ptr_array_index (plugins, i);

        /* Only what the manager installed in this folder. */
        if (ph_installed_plugin_get_source (p) != PH_PLUGIN_SOURCE_USER || !ph_installed_plugin_get_managed (p))
          continue;
        n++;
        if (update_one (installer, o, ph_installed_plugin_get_name (p), TRUE) != 0)
          status = 1;
        if (g_cancellable_is_cancelled (o->cancellable))
          break;
      }
    if (n == 0)
      fprintf (stderr, "%s\n", _("No plugins installed by the plugin manager"));
  }

  return status;
}

static int
cmd_uninstall (PhPluginInstaller *installer,
               Options           *o,
               const char        *name)
{
  g_autoptr(GError) error = NULL;

  if (!ph_plugin_installer_uninstall (installer, name, o->force, o->cancellable, &error))
    return fail ("uninstall", error->message);

  printf (_("Uninstalled %s\n"), name);
  return 0;
}

int
ph_cli_plugin (int    argc,
               char **argv)
{
  Options o = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PhPluginInstaller) installer = NULL;
  g_autofree char *user_dir = NULL;
  const char *command;
  const char *arg = NULL;
  int status;
  GOptionEntry entries[] = {
    { "catalog", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.catalogs, N_("A catalog index (https://, file:// or a path)"), N_("URL") },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &o.dir, N_("The plugin folder"), N_("DIR") },
    { "output", 'o', 0, G_OPTION_ARG_STRING, &o.output, N_("Output format of list: json"), N_("FORMAT") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &o.all, N_("Update every plugin"), NULL },
    { "force", 0, 0, G_OPTION_ARG_NONE, &o.force, N_("Replace or remove a plugin the manager did not install"), NULL },
    { NULL }
  };

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      print_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? 2 : 0;
    }

  /* "plugin install --help" asks for the same usage as "plugin --help". */
  for (int i = 2; i < argc; i++)
    if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
      {
        print_usage (stdout);
        return 0;
      }

  command = argv[1];
  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, FALSE);

  /* argv[1] is the subcommand; let GOption see the rest. */
  argv[1] = argv[0];
  argc--;
  argv++;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fail (command, error->message);
      options_clear (&o);
      return 2;
    }
  if (argc > 2)
    {
      options_clear (&o);
      fail (command, _("too many arguments"));
      return 2;
    }
  if (argc == 2)
    arg = argv[1];

  user_dir = ph_plugin_user_dir ();
  installer = ph_plugin_installer_new (o.dir ? o.dir : user_dir);
  o.cancellable = g_cancellable_new ();
  cancel_on_signals (o.cancellable);

  if (strcmp (command, "search") == 0)
    status = cmd_search (installer, &o, arg);
  else if (strcmp (command, "list") == 0)
    status = arg ? (fail (command, _("too many arguments")), 2) : cmd_list (installer, &o);
  else if (strcmp (command, "install") == 0)
    status = arg ? cmd_install (installer, &o, arg) : (fail (command, _("which plugin? Give NAME[@VERSION]")), 2);
  else if (strcmp (command, "update") == 0)
    status = cmd_update (installer, &o, arg);
  else if (strcmp (command, "uninstall") == 0)
    status = arg ? cmd_uninstall (installer, &o, arg) : (fail (command, _("which plugin? Give its name")), 2);
  else
    {
      fprintf (stderr, _("porthole-cli plugin: unknown command “%s”\n"), command);
      print_usage (stderr);
      status = 2;
    }

  options_clear (&o);
  return status;
}
