/* ph-cli-sim.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "ph-cli-commands.h"
#include "ph-sim-server.h"

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
ph_cli_sim (int    argc,
            char **argv)
{
  int port = 0;
  gboolean tls = FALSE;
  gboolean client_cert = FALSE;
  g_autofree char *token = NULL;
  int pods = 100;
  int namespaces = 4;
  double churn = 0;
  gint64 seed = 1;
  int history = 0;
  g_autofree char *kubeconfig_out = NULL;
  g_autofree char *context_name = NULL;
  const GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("Port to listen on (0: any free one)"), "P" },
    { "tls", 0, 0, G_OPTION_ARG_NONE, &tls, N_("Serve HTTPS with the built-in test CA"), NULL },
    { "client-cert", 0, 0, G_OPTION_ARG_NONE, &client_cert, N_("Require a client certificate (implies --tls)"), NULL },
    { "token", 0, 0, G_OPTION_ARG_STRING, &token, N_("Require this bearer token"), "T" },
    { "pods", 0, 0, G_OPTION_ARG_INT, &pods, N_("Number of pods"), "N" },
    { "namespaces", 0, 0, G_OPTION_ARG_INT, &namespaces, N_("Number of namespaces"), "M" },
    { "churn", 0, 0, G_OPTION_ARG_DOUBLE, &churn, N_("Changes per second (pods crash and restart, deployments roll out)"), "EVENTS_PER_S" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Seed of the generated cluster and its churn"), "S" },
    { "history", 0, 0, G_OPTION_ARG_INT, &history, N_("Watch events kept for replay"), "N" },
    { "kubeconfig-out", 0, 0, G_OPTION_ARG_FILENAME, &kubeconfig_out, N_("Write (or merge into) a kubeconfig for this server"), "FILE" },
    { "context-name", 0, 0, G_OPTION_ARG_STRING, &context_name, N_("Name of the context in the kubeconfig"), "NAME" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PhSimServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *url = NULL;
  PhSimOptions options;

  g_set_prgname ("porthole-cli sim");
  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Runs a simulated Kubernetes API server on 127.0.0.1 until interrupted."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "porthole-cli sim: %s\n", error->message);
      return 2;
    }

  if (port < 0 || port > 65535 || pods < 0 || namespaces < 1 || churn < 0 || history < 0)
    {
      fprintf (stderr, "porthole-cli sim: %s\n",
               _("--port must be 0…65535, --pods and --history at least 0, --namespaces at least 1, --churn not negative"));
      return 2;
    }

  ph_sim_options_init (&options);
  options.port = port;
  options.tls = tls || client_cert;
  options.require_client_cert = client_cert;
  options.token = token;
  options.pods = pods;
  options.namespaces = namespaces;
  options.churn = churn;
  options.seed = seed;
  options.history_size = history;

  server = ph_sim_server_new (&options);
  if (!ph_sim_server_start (server, &error))
    {
      fprintf (stderr, "porthole-cli sim: %s\n", error->message);
      return 1;
    }

  if (kubeconfig_out != NULL &&
      !ph_sim_server_write_kubeconfig (server, kubeconfig_out,
                                       context_name ? context_name : "porthole-sim", &error))
    {
      fprintf (stderr, "porthole-cli sim: %s\n", error->message);
      return 1;
    }

  /* The first line of output is the URL, for scripts and tests. */
  url = ph_sim_server_get_url (server);
  printf ("%s\n", url);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);

  ph_sim_server_stop (server);
  return 0;
}
