/* ph-cli.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "ph-cli-commands.h"

typedef struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} PhCliCommand;

static const PhCliCommand commands[] = {
  { "contexts", ph_cli_contexts, N_("List the contexts of the kubeconfig") },
  { "get",      ph_cli_get,      N_("Print a combined list across contexts and namespaces") },
  { "watch",    ph_cli_watch,    N_("Keep lists live and print every change") },
  { "plugin",   ph_cli_plugin,   N_("Search, install, update and uninstall plugins") },
  { "sim",      ph_cli_sim,      N_("Run a simulated Kubernetes API server") },
};

static void
print_help (FILE *out)
{
  fprintf (out, "%s\n", _("Usage: porthole-cli COMMAND [OPTION…]"));
  fprintf (out, "\n%s\n", _("Porthole’s command-line client for Kubernetes."));
  fprintf (out, "\n%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Options:"));
  fprintf (out, "  %-10s %s\n", "--help", _("Show this help"));
  fprintf (out, "  %-10s %s\n", "--version", _("Show the version"));
  fprintf (out, "\n%s\n", _("Run “porthole-cli COMMAND --help” for the options of a command."));
}

int
main (int   argc,
      char *argv[])
{
  /* PORTHOLE_LOCALEDIR lets the build tree and the tests use translations
   * that are not installed yet. */
  const char *localedir = g_getenv ("PORTHOLE_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_prgname ("porthole-cli");

  if (argc < 2)
    {
      print_help (stderr);
      return 2;
    }

  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
      strcmp (argv[1], "help") == 0)
    {
      print_help (stdout);
      return 0;
    }

  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("porthole-cli %s (%s)\n", PACKAGE_VERSION, PORTHOLE_GIT_ID);
      return 0;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  fprintf (stderr, _("porthole-cli: unknown command “%s”\n"), argv[1]);
  print_help (stderr);
  return 2;
}
