/* ph-cli-contexts.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ph-cli-commands.h"
#include "ph-kubeconfig.h"

enum {
  COL_CURRENT,
  COL_NAME,
  COL_CLUSTER,
  COL_SERVER,
  COL_USER,
  COL_NAMESPACE,
  COL_AUTH,
  COL_ERROR,
  N_COLS
};

static const char *column_titles[N_COLS] = {
  "CURRENT", "NAME", "CLUSTER", "SERVER", "USER", "NAMESPACE", "AUTH", "ERROR",
};

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *member,
                     const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL && value[0] != '\0')
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
print_json (GListModel *contexts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  guint n = g_list_model_get_n_items (contexts);

  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhContext) context = g_list_model_get_item (contexts, i);
      const GError *error = ph_context_get_error (context);

      json_builder_begin_object (builder);
      add_nullable_string (builder, "name", ph_context_get_name (context));
      add_nullable_string (builder, "cluster", ph_context_get_cluster_name (context));
      add_nullable_string (builder, "server", ph_context_get_server (context));
      add_nullable_string (builder, "user", ph_context_get_user_name (context));
      add_nullable_string (builder, "namespace", ph_context_get_namespace (context));
      add_nullable_string (builder, "auth", ph_context_get_auth_kind (context));
      json_builder_set_member_name (builder, "current");
      json_builder_add_boolean_value (builder, ph_context_get_is_current (context));
      add_nullable_string (builder, "error", error ? error->message : NULL);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

/* Columns separated by at least three spaces, like kubectl's tables. */
static void
print_table (GListModel *contexts)
{
  guint n = g_list_model_get_n_items (contexts);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  gsize widths[N_COLS] = { 0, };
  gboolean any_error = FALSE;
  guint last_col;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhContext) context = g_list_model_get_item (contexts, i);
      const GError *error = ph_context_get_error (context);
      char **row = g_new0 (char *, N_COLS + 1);

      row[COL_CURRENT] = g_strdup (ph_context_get_is_current (context) ? "*" : "");
      row[COL_NAME] = g_strdup (ph_context_get_name (context));
      row[COL_CLUSTER] = g_strdup (ph_context_get_cluster_name (context) ?: "");
      row[COL_SERVER] = g_strdup (ph_context_get_server (context) ?: "");
      row[COL_USER] = g_strdup (ph_context_get_user_name (context) ?: "");
      row[COL_NAMESPACE] = g_strdup (ph_context_get_namespace (context) ?: "");
      row[COL_AUTH] = g_strdup (ph_context_get_auth_kind (context));
      row[COL_ERROR] = g_strdup (error ? error->message : "");
      /* one row per context, whatever the message holds */
      g_strdelimit (row[COL_ERROR], "\n\r\t", ' ');
      any_error |= error != NULL;
      g_ptr_array_add (rows, row);
    }

  last_col = any_error ? COL_ERROR : COL_AUTH;
  for (guint c = 0; c <= last_col; c++)
    {
      widths[c] = strlen (column_titles[c]);
      for (guint i = 0; i < rows->len; i++)
        widths[c] = MAX (widths[c], (gsize) g_utf8_strlen (((char **) g_ptr_array_index (rows, i))[c], -1));
    }

  for (guint i = 0; i <= rows->len; i++)
    {
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint c = 0; c <= last_col; c++)
        {
          const char *cell = i == 0 ? column_titles[c] : ((char **) g_ptr_array_index (rows, i - 1))[c];

          g_string_append (line, cell);
          if (c < last_col)
            for (gsize pad = g_utf8_strlen (cell, -1); pad < widths[c] + 3; pad++)
              g_string_append_c (line, ' ');
        }
      while (line->len > 0 && line->str[line->len - 1] == ' ')
        g_string_truncate (line, line->len - 1);
      printf ("%s\n", line->str);
    }
}

int
ph_cli_contexts (int    argc,
                 char **argv)
{
  g_autofree char *kubeconfig_path = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GOptionContext) option_context = NULL;
  g_autoptr(PhKubeconfig) config = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *file_errors;
  const GOptionEntry entries[] = {
    { "kubeconfig", 0, 0, G_OPTION_ARG_FILENAME, &kubeconfig_path,
      N_("Use this kubeconfig file instead of $KUBECONFIG or ~/.kube/config"), N_("FILE") },
    { "output", 'o', 0, G_OPTION_ARG_STRING, &output,
      N_("Output format: table (default) or json"), N_("FORMAT") },
    { NULL }
  };

  option_context = g_option_context_new (NULL);
  g_option_context_set_summary (option_context, _("Lists every context of the kubeconfig with its "
                                                  "cluster, server, user, namespace and kind of "
                                                  "authentication, and what is wrong with broken ones."));
  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (option_context, GETTEXT_PACKAGE);
  g_set_prgname ("porthole-cli contexts");

  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    {
      fprintf (stderr, "porthole-cli contexts: %s\n", error->message);
      return 2;
    }
  if (argc > 1)
    {
      fprintf (stderr, _("porthole-cli contexts: unexpected argument “%s”\n"), argv[1]);
      return 2;
    }
  if (output != NULL && strcmp (output, "json") != 0 && strcmp (output, "table") != 0)
    {
      fprintf (stderr, _("porthole-cli contexts: unknown output format “%s” (use table or json)\n"), output);
      return 2;
    }

  config = ph_kubeconfig_load (kubeconfig_path, &error);
  if (config == NULL)
    {
      fprintf (stderr, "porthole-cli contexts: %s\n", error->message);
      return 1;
    }

  /* Skipped files are worth knowing about, but the rest still loaded. */
  file_errors = ph_kubeconfig_get_file_errors (config);
  for (guint i = 0; i < file_errors->len; i++)
    fprintf (stderr, _("porthole-cli contexts: warning: %s\n"),
             ((GError *) g_ptr_array_index (file_errors, i))->message);

  if (output != NULL && strcmp (output, "json") == 0)
    print_json (ph_kubeconfig_get_contexts (config));
  else
    print_table (ph_kubeconfig_get_contexts (config));

  return 0;
}
