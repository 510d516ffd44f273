/* test-kubeconfig.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ph-kube-error.h"
#include "ph-kubeconfig.h"

static char *
fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "kube", "fixtures", "kubeconfig", name, NULL);
  return g_canonicalize_filename (path, NULL);
}

static PhKubeconfig *
load_fixture (const char *name)
{
  g_autofree char *path = fixture (name);
  g_autoptr(GError) error = NULL;
  PhKubeconfig *config = ph_kubeconfig_load (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (config);
  return config;
}

static PhContext *
context (PhKubeconfig *config,
         const char   *name)
{
  PhContext *ctx = ph_kubeconfig_lookup_context (config, name);

  if (ctx == NULL)
    g_error ("no context %s", name);
  return ctx;
}

static gboolean
bytes_contain (GBytes     *bytes,
               const char *needle)
{
  g_autofree char *text = NULL;

  if (bytes == NULL)
    return FALSE;
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return strstr (text, needle) != NULL;
}

static void
test_fields (void)
{
  g_autoptr(PhKubeconfig) config = load_fixture ("full.yaml");
  g_autofree char *ca_path = fixture ("certs/ca.pem");
  g_autofree char *cert_path = fixture ("certs/client.pem");
  g_autofree char *key_path = fixture ("certs/client-key.pem");
  g_autofree char *token_path = fixture ("token.txt");
  g_autofree char *login_path = fixture ("bin/login");
  g_autofree char *full_path = fixture ("full.yaml");
  GListModel *contexts = ph_kubeconfig_get_contexts (config);
  PhContext *ctx;
  PhExecConfig *exec;

  g_assert_cmpuint (g_list_model_get_n_items (contexts), ==, 8);
  g_assert_cmpstr (ph_kubeconfig_get_current_context (config), ==, "exec-v1");
  g_assert_cmpuint (ph_kubeconfig_get_file_errors (config)->len, ==, 0);
  g_assert_cmpstr (ph_kubeconfig_get_files (config)[0], ==, full_path);

  for (guint i = 0; i < g_list_model_get_n_items (contexts); i++)
    {
      g_autoptr(PhContext) c = g_list_model_get_item (contexts, i);
      if (ph_context_get_error (c) != NULL)
        g_error ("%s: %s", ph_context_get_name (c), ph_context_get_error (c)->message);
      g_assert_cmpint (ph_context_get_problem (c), ==, PH_KUBECONFIG_PROBLEM_NONE);
      g_assert_null (ph_context_get_problem_field (c));
      g_assert_null (ph_context_get_problem_file (c));
      g_assert_cmpuint (ph_context_get_problem_line (c), ==, 0);
      g_assert_cmpstr (ph_context_get_file (c), ==, full_path);
    }

  ctx = context (config, "token");
  g_assert_cmpstr (ph_context_get_cluster_name (ctx), ==, "ca-file");
  g_assert_cmpstr (ph_context_get_user_name (ctx), ==, "token");
  g_assert_cmpstr (ph_context_get_namespace (ctx), ==, "team-a");
  g_assert_cmpstr (ph_context_get_auth_kind (ctx), ==, "token");
  g_assert_cmpstr (ph_context_get_token (ctx), ==, "abc.def");
  g_assert_cmpstr (ph_context_get_impersonate (ctx), ==, "alice");
  g_assert_cmpstr (ph_context_get_impersonate_uid (ctx), ==, "1234");
  g_assert_cmpuint (g_strv_length ((char **) ph_context_get_impersonate_groups (ctx)), ==, 2);
  g_assert_cmpstr (ph_context_get_impersonate_groups (ctx)[1], ==, "ops");
  g_assert_cmpuint (g_strv_length ((char **) ph_context_get_impersonate_extra (ctx)), ==, 2);
  g_assert_cmpstr (ph_context_get_impersonate_extra (ctx)[0], ==, "scopes=view");
  g_assert_cmpstr (ph_context_get_impersonate_extra (ctx)[1], ==, "scopes=edit");
  g_assert_false (ph_context_get_is_current (ctx));
  g_assert_cmpstr (ph_context_get_server (ctx), ==, "https://127.0.0.1:6443");
  /* relative to the file */
  g_assert_cmpstr (ph_context_get_certificate_authority (ctx), ==, ca_path);
  g_assert_true (bytes_contain (ph_context_get_certificate_authority_data (ctx), "BEGIN CERTIFICATE"));
  g_assert_cmpstr (ph_context_get_tls_server_name (ctx), ==, "kube.porthole.test");
  g_assert_false (ph_context_get_insecure_skip_tls_verify (ctx));
  g_assert_null (ph_context_get_proxy_url (ctx));

  ctx = context (config, "token-file");
  g_assert_cmpstr (ph_context_get_auth_kind (ctx), ==, "token-file");
  g_assert_cmpstr (ph_context_get_token_file (ctx), ==, token_path);
  g_assert_null (ph_context_get_namespace (ctx));
  g_assert_cmpstr (ph_context_get_server (ctx), ==, "https://kube.porthole.test:443/prefix");
  g_assert_null (ph_context_get_certificate_authority (ctx));
  g_assert_true (bytes_contain (ph_context_get_certificate_authority_data (ctx), "BEGIN CERTIFICATE"));
  g_assert_cmpstr (ph_context_get_proxy_url (ctx), ==, "http://proxy.porthole.test:3128");
  g_assert_cmpstr (ph_context_get_exec_extension_json (ctx), ==, "{\"audience\":\"porthole\",\"retries\":3}");

  ctx = context (config, "cert-files");
  g_assert_cmpstr (ph_context_get_auth_kind (ctx), ==, "client-certificate");
  g_assert_cmpstr (ph_context_get_client_certificate (ctx), ==, cert_path);
  g_assert_cmpstr (ph_context_get_client_key (ctx), ==, key_path);
  g_assert_true (bytes_contain (ph_context_get_client_certificate_data (ctx), "BEGIN CERTIFICATE"));
  g_assert_true (bytes_contain (ph_context_get_client_key_data (ctx), "PRIVATE KEY"));

  ctx = context (config, "cert-data");
  g_assert_cmpstr (ph_context_get_auth_kind (ctx), ==, "client-certificate");
  g_assert_null (ph_context_get_client_certificate (ctx));
  g_assert_true (bytes_contain (ph_context_get_client_certificate_data (ctx), "BEGIN CERTIFICATE"));
  g_assert_true (bytes_contain (ph_context_get_client_key_data (ctx), "PRIVATE KEY"));

  ctx = context (config, "exec-v1");
  g_assert_true (ph_context_get_is_current (ctx));
  g_assert_cmpstr (ph_context_get_auth_kind (ctx), ==, "exec");
  g_assert_cmpstr (ph_context_get_namespace (ctx), ==, "kube-system");
  exec = ph_context_get_exec (ctx);
  g_assert_nonnull (exec);
  g_assert_cmpstr (exec->api_version, ==, "client.authentication.k8s.io/v1");
  /* a command given as a path resolves against the file, like client-go */
  g_assert_cmpstr (exec->command, ==, login_path);
  g_assert_cmpuint (g_strv_length (exec->args), ==, 2);
  g_assert_cmpstr (exec->args[0], ==, "get-token");
  g_assert_cmpstr (exec->args[1], ==, "--verbose");
  g_assert_cmpuint (g_strv_length (exec->env), ==, 1);
  g_assert_cmpstr (exec->env[0], ==, "LOGIN_MODE=quiet");
  g_assert_cmpstr (exec->install_hint, ==, "Install login from example.com");
  g_assert_true (exec->provide_cluster_info);
  g_assert_cmpint (exec->interactive_mode, ==, PH_EXEC_INTERACTIVE_NEVER);

  ctx = context (config, "exec-v1beta1");
  exec = ph_context_get_exec (ctx);
  g_assert_cmpstr (exec->api_version, ==, "client.authentication.k8s.io/v1beta1");
  /* a bare name is looked up in PATH at run time */
  g_assert_cmpstr (exec->command, ==, "gke-gcloud-auth-plugin");
  g_assert_cmpuint (g_strv_length (exec->args), ==, 0);
  g_assert_false (exec->provide_cluster_info);
  g_assert_cmpint (exec->interactive_mode, ==, PH_EXEC_INTERACTIVE_IF_AVAILABLE);
  g_assert_true (ph_context_get_insecure_skip_tls_verify (ctx));

  ctx = context (config, "basic");
  g_assert_cmpstr (ph_context_get_auth_kind (ctx), ==, "basic");
  g_assert_cmpstr (ph_context_get_username (ctx), ==, "admin");
  g_assert_cmpstr (ph_context_get_password (ctx), ==, "hunter2");

  ctx = context (config, "none");
  g_assert_cmpstr (ph_context_get_auth_kind (ctx), ==, "none");
  g_assert_null (ph_context_get_user_name (ctx));

  /* the same as properties, for list expressions */
  {
    g_autofree char *name = NULL;
    g_autofree char *server = NULL;
    g_autofree char *auth = NULL;
    g_autofree char *error_message = NULL;
    gboolean is_current = TRUE;

    g_object_get (context (config, "token"), "name", &name, "server", &server, "auth-kind", &auth,
                  "is-current", &is_current, "error-message", &error_message, NULL);
    g_assert_cmpstr (name, ==, "token");
    g_assert_cmpstr (server, ==, "https://127.0.0.1:6443");
    g_assert_cmpstr (auth, ==, "token");
    g_assert_false (is_current);
    g_assert_null (error_message);
  }
}

/* The message is "FILE:LINE: FIELD: WHAT", and the problem has the same
 * file, line and field. */
static void
assert_error (PhKubeconfig        *config,
              const char          *name,
              guint                line,
              const char          *field,
              PhKubeconfigProblem  code,
              const char          *what)
{
  g_autofree char *file = fixture ("broken.yaml");
  g_autofree char *expected = g_strdup_printf ("%s:%u: %s: %s", file, line, field, what);
  PhContext *ctx = context (config, name);
  const GError *error = ph_context_get_error (ctx);

  g_assert_nonnull (error);
  g_assert_true (error->domain == PH_KUBE_ERROR);
  g_assert_cmpint (error->code, ==, PH_KUBE_ERROR_CONFIG);
  g_assert_cmpstr (error->message, ==, expected);

  g_assert_cmpint (ph_context_get_problem (ctx), ==, code);
  g_assert_cmpstr (ph_context_get_problem_file (ctx), ==, file);
  g_assert_cmpuint (ph_context_get_problem_line (ctx), ==, line);
  g_assert_cmpstr (ph_context_get_problem_field (ctx), ==, field);
}

static void
test_broken_entries (void)
{
  g_autoptr(PhKubeconfig) config = load_fixture ("broken.yaml");
  g_autofree char *missing_ca = fixture ("certs/no-such-ca.pem");
  g_autofree char *expected = NULL;
  PhContext *good;

  g_assert_cmpuint (g_list_model_get_n_items (ph_kubeconfig_get_contexts (config)), ==, 9);
  good = context (config, "good");
  g_assert_null (ph_context_get_error (good));
  g_assert_cmpint (ph_context_get_problem (good), ==, PH_KUBECONFIG_PROBLEM_NONE);
  g_assert_null (ph_context_get_problem_field (good));
  g_assert_true (ph_context_get_is_current (good));

  expected = g_strdup_printf ("file \"%s\" not found", missing_ca);
  assert_error (config, "missing-ca", 13, "clusters[1].cluster.certificate-authority",
                PH_KUBECONFIG_PROBLEM_FILE_NOT_FOUND, expected);
  assert_error (config, "bad-base64", 17, "clusters[2].cluster.certificate-authority-data",
                PH_KUBECONFIG_PROBLEM_INVALID_VALUE, "invalid base64 data");
  assert_error (config, "no-server", 20, "clusters[3].cluster.server",
                PH_KUBECONFIG_PROBLEM_MISSING_FIELD, "missing");
  assert_error (config, "unknown-field", 28, "users[1].user.auth-magic",
                PH_KUBECONFIG_PROBLEM_UNKNOWN_FIELD, "unknown field");
  assert_error (config, "missing-key", 32, "users[2].user.client-key",
                PH_KUBECONFIG_PROBLEM_FILE_NOT_FOUND, "file \"/nonexistent/key.pem\" not found");
  assert_error (config, "exec-no-version", 36, "users[3].user.exec.apiVersion",
                PH_KUBECONFIG_PROBLEM_MISSING_FIELD, "missing (use client.authentication.k8s.io/v1 or v1beta1)");
  assert_error (config, "no-such-cluster", 68, "contexts[7].context.cluster",
                PH_KUBECONFIG_PROBLEM_MISSING_REFERENCE, "no cluster named \"elsewhere\"");
  assert_error (config, "no-such-user", 73, "contexts[8].context.user",
                PH_KUBECONFIG_PROBLEM_MISSING_REFERENCE, "no user named \"ghost\"");

  {
    g_autofree char *message = NULL;
    g_object_get (context (config, "no-server"), "error-message", &message, NULL);
    g_assert_nonnull (strstr (message, "clusters[3].cluster.server: missing"));
  }

  /* broken entries still say what they are */
  g_assert_cmpstr (ph_context_get_auth_kind (context (config, "exec-no-version")), ==, "exec");
  g_assert_cmpstr (ph_context_get_server (context (config, "missing-ca")), ==, "https://127.0.0.1:6443");
}

static void
test_inline_errors (void)
{
  struct {
    const char *yaml;
    const char *error;
    PhKubeconfigProblem code;
    guint line;
    const char *field;
  } cases[] = {
    { "clusters:\n- name: c\n  cluster:\n    server: https://h\n    certificate-authority-data: aGVsbG8=\n"
      "contexts:\n- name: x\n  context:\n    cluster: c\n",
      "mem.yaml:5: clusters[0].cluster.certificate-authority-data: not a PEM certificate",
      PH_KUBECONFIG_PROBLEM_INVALID_CERTIFICATE, 5, "clusters[0].cluster.certificate-authority-data" },
    { "clusters:\n- name: c\n  cluster:\n    server: ftp://h\n"
      "contexts:\n- name: x\n  context:\n    cluster: c\n",
      "mem.yaml:4: clusters[0].cluster.server: \"ftp://h\" is not an http(s) URL",
      PH_KUBECONFIG_PROBLEM_INVALID_VALUE, 4, "clusters[0].cluster.server" },
    { "clusters:\n- name: c\n  cluster:\n    server: https://h\n    insecure-skip-tls-verify: maybe\n"
      "contexts:\n- name: x\n  context:\n    cluster: c\n",
      "mem.yaml:5: clusters[0].cluster.insecure-skip-tls-verify: expected true or false",
      PH_KUBECONFIG_PROBLEM_INVALID_VALUE, 5, "clusters[0].cluster.insecure-skip-tls-verify" },
    { "clusters:\n- name: c\n  cluster:\n    server: https://h\nusers:\n- name: u\n  user:\n"
      "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: x\n"
      "contexts:\n- name: x\n  context:\n    cluster: c\n    user: u\n",
      "mem.yaml:9: users[0].user.exec.interactiveMode: required with client.authentication.k8s.io/v1",
      PH_KUBECONFIG_PROBLEM_MISSING_FIELD, 9, "users[0].user.exec.interactiveMode" },
    { "clusters:\n- name: c\n  cluster:\n    server: https://h\nusers:\n- name: u\n  user:\n"
      "    exec:\n      apiVersion: client.authentication.k8s.io/v1alpha1\n      command: x\n"
      "contexts:\n- name: x\n  context:\n    cluster: c\n    user: u\n",
      "mem.yaml:9: users[0].user.exec.apiVersion: \"client.authentication.k8s.io/v1alpha1\" is not supported",
      PH_KUBECONFIG_PROBLEM_INVALID_VALUE, 9, "users[0].user.exec.apiVersion" },
    { "clusters:\n- name: c\n  cluster:\n    server: https://h\nusers:\n- name: u\n  user:\n"
      "    auth-provider:\n      name: gcp\n"
      "contexts:\n- name: x\n  context:\n    cluster: c\n    user: u\n",
      "users[0].user.auth-provider: auth providers are not supported",
      PH_KUBECONFIG_PROBLEM_UNSUPPORTED, 8, "users[0].user.auth-provider" },
    { "clusters:\n- name: c\n  cluster:\n    server: https://h\nusers:\n- name: u\n  user:\n"
      "    client-key-data: aGVsbG8=\n"
      "contexts:\n- name: x\n  context:\n    cluster: c\n    user: u\n",
      "mem.yaml:8: users[0].user: client key given without client-certificate",
      PH_KUBECONFIG_PROBLEM_MISSING_FIELD, 8, "users[0].user" },
    { "clusters:\n- name: c\n  cluster:\n    server: https://h\nusers:\n- name: u\n  user:\n"
      "    as-groups: admins\n"
      "contexts:\n- name: x\n  context:\n    cluster: c\n    user: u\n",
      "mem.yaml:8: users[0].user.as-groups: expected a list",
      PH_KUBECONFIG_PROBLEM_INVALID_VALUE, 8, "users[0].user.as-groups" },
    { "clusters:\n- name: c\n  cluster:\n    server: https://h\n"
      "contexts:\n- name: x\n  context:\n    user: u\n",
      "mem.yaml:8: contexts[0].context.cluster: missing",
      PH_KUBECONFIG_PROBLEM_MISSING_FIELD, 8, "contexts[0].context.cluster" },
    /* it could only go out as a broken header */
    { "clusters:\n- name: c\n  cluster:\n    server: https://h\nusers:\n- name: u\n  user:\n"
      "    token: \"aGVsbG8\\r\\nX-Injected: 1\"\n"
      "contexts:\n- name: x\n  context:\n    cluster: c\n    user: u\n",
      "mem.yaml:8: users[0].user.token: contains line breaks or control characters",
      PH_KUBECONFIG_PROBLEM_INVALID_VALUE, 8, "users[0].user.token" },
    /* dropping the header would act with the credentials' own rights */
    { "clusters:\n- name: c\n  cluster:\n    server: https://h\nusers:\n- name: u\n  user:\n"
      "    token: t\n    as-groups: [\"viewers\\nsystem:masters\"]\n"
      "contexts:\n- name: x\n  context:\n    cluster: c\n    user: u\n",
      "mem.yaml:8: users[0].user: as, as-uid, as-groups or as-user-extra contains line breaks",
      PH_KUBECONFIG_PROBLEM_INVALID_VALUE, 8, "users[0].user" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PhKubeconfig) config = ph_kubeconfig_new_from_data (cases[i].yaml, -1, "/tmp/mem.yaml", &error);
      const GError *ctx_error;

      g_assert_no_error (error);
      ctx_error = ph_context_get_error (context (config, "x"));
      if (ctx_error == NULL || strstr (ctx_error->message, cases[i].error) == NULL)
        g_error ("case %u: expected “%s”, got “%s”", i, cases[i].error,
                 ctx_error ? ctx_error->message : "no error");
      /* the secret parts of a kubeconfig never reach an error */
      g_assert_null (strstr (ctx_error->message, "aGVsbG8"));
      g_assert_cmpint (ph_context_get_problem (context (config, "x")), ==, cases[i].code);
      g_assert_cmpstr (ph_context_get_problem_file (context (config, "x")), ==, "/tmp/mem.yaml");
      g_assert_cmpuint (ph_context_get_problem_line (context (config, "x")), ==, cases[i].line);
      g_assert_cmpstr (ph_context_get_problem_field (context (config, "x")), ==, cases[i].field);
    }
}

static void
test_malformed (void)
{
  g_autofree char *malformed = fixture ("malformed.yaml");
  g_autofree char *full = fixture ("full.yaml");
  const char *paths[] = { malformed, full, NULL };
  g_autoptr(PhKubeconfig) config = NULL;
  g_autoptr(PhKubeconfig) merged = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_strdup_printf ("%s:6:4: malformed YAML", malformed);
  const GError *file_error;
  const char *problem_file = NULL;
  const char *problem_field = "unset";
  guint problem_line = 0;

  config = ph_kubeconfig_load (malformed, &error);
  g_assert_null (config);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_CONFIG);
  g_assert_true (g_str_has_prefix (error->message, expected));

  /* one broken file does not stop the others */
  merged = ph_kubeconfig_load_files (paths, NULL);
  g_assert_nonnull (merged);
  g_assert_cmpuint (g_list_model_get_n_items (ph_kubeconfig_get_contexts (merged)), ==, 8);
  g_assert_cmpuint (ph_kubeconfig_get_file_errors (merged)->len, ==, 1);
  file_error = g_ptr_array_index (ph_kubeconfig_get_file_errors (merged), 0);
  g_assert_true (g_str_has_prefix (file_error->message, expected));
  g_assert_cmpint (ph_kubeconfig_get_file_problem (merged, 0, &problem_file, &problem_line, &problem_field),
                   ==, PH_KUBECONFIG_PROBLEM_SYNTAX);
  g_assert_cmpstr (problem_file, ==, malformed);
  g_assert_cmpuint (problem_line, ==, 6);
  g_assert_null (problem_field);
  g_assert_cmpuint (g_strv_length ((char **) ph_kubeconfig_get_files (merged)), ==, 1);
}

static void
check_merge (PhKubeconfig *config)
{
  g_autofree char *ca_path = fixture ("certs/ca.pem");
  g_autofree char *token_path = fixture ("token.txt");
  g_auto(GStrv) clusters = ph_kubeconfig_dup_cluster_names (config);
  g_auto(GStrv) users = ph_kubeconfig_dup_user_names (config);
  PhContext *ctx;

  g_assert_cmpuint (g_strv_length ((char **) ph_kubeconfig_get_files (config)), ==, 3);
  /* b is the first file that sets current-context */
  g_assert_cmpstr (ph_kubeconfig_get_current_context (config), ==, "only-b");
  g_assert_cmpuint (g_list_model_get_n_items (ph_kubeconfig_get_contexts (config)), ==, 4);
  g_assert_cmpuint (g_strv_length (clusters), ==, 4);
  g_assert_cmpuint (g_strv_length (users), ==, 3);

  /* the first file wins a name, as a whole entry */
  ctx = context (config, "shared");
  g_assert_cmpstr (ph_context_get_cluster_name (ctx), ==, "shared");
  g_assert_cmpstr (ph_context_get_namespace (ctx), ==, "from-a");
  g_assert_cmpstr (ph_context_get_server (ctx), ==, "https://a.porthole.test:6443");
  g_assert_cmpstr (ph_context_get_token (ctx), ==, "from-a");
  g_assert_cmpstr (ph_context_get_certificate_authority (ctx), ==, ca_path);

  ctx = context (config, "only-a");
  g_assert_cmpstr (ph_context_get_cluster_name (ctx), ==, "only-a");
  g_assert_null (ph_context_get_namespace (ctx));

  /* paths resolve against the file that names them */
  ctx = context (config, "only-b");
  g_assert_true (ph_context_get_is_current (ctx));
  g_assert_cmpstr (ph_context_get_certificate_authority (ctx), ==, ca_path);
  g_assert_cmpstr (ph_context_get_token_file (ctx), ==, token_path);
  g_assert_null (ph_context_get_error (ctx));

  ctx = context (config, "only-c");
  g_assert_cmpstr (ph_context_get_namespace (ctx), ==, "from-c");
  g_assert_true (ph_context_get_insecure_skip_tls_verify (ctx));
}

static void
test_merge (void)
{
  g_autofree char *a = fixture ("merge/a.yaml");
  g_autofree char *b = fixture ("merge/sub/b.yaml");
  g_autofree char *c = fixture ("merge/c.yaml");
  g_autofree char *missing = fixture ("merge/missing.yaml");
  const char *paths[] = { a, b, missing, "", c, a, NULL };
  g_autoptr(PhKubeconfig) config = ph_kubeconfig_load_files (paths, NULL);

  g_assert_nonnull (config);
  check_merge (config);
  /* a missing file is simply skipped */
  g_assert_cmpuint (ph_kubeconfig_get_file_errors (config)->len, ==, 0);
}

static void
test_load_rules (void)
{
  g_autofree char *a = fixture ("merge/a.yaml");
  g_autofree char *b = fixture ("merge/sub/b.yaml");
  g_autofree char *c = fixture ("merge/c.yaml");
  g_autofree char *full = fixture ("full.yaml");
  g_autofree char *list = g_strjoin (":", a, b, "/nonexistent/config", c, NULL);
  g_autofree char *home = NULL;
  g_autofree char *kube_dir = NULL;
  g_autofree char *home_config = NULL;
  g_autofree char *old_home = g_strdup (g_getenv ("HOME"));
  g_autoptr(PhKubeconfig) from_env = NULL;
  g_autoptr(PhKubeconfig) explicit = NULL;
  g_autoptr(PhKubeconfig) from_home = NULL;
  g_autoptr(PhKubeconfig) none = NULL;
  g_autoptr(GError) error = NULL;

  /* KUBECONFIG: merged */
  g_setenv ("KUBECONFIG", list, TRUE);
  from_env = ph_kubeconfig_load (NULL, &error);
  g_assert_no_error (error);
  check_merge (from_env);

  /* --kubeconfig: that file alone */
  explicit = ph_kubeconfig_load (full, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (ph_kubeconfig_get_contexts (explicit)), ==, 8);
  g_assert_null (ph_kubeconfig_lookup_context (explicit, "only-c"));

  /* an explicit file that does not exist is an error */
  g_assert_null (ph_kubeconfig_load ("/nonexistent/kubeconfig", &error));
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_NO_CONFIG);
  g_assert_nonnull (strstr (error->message, "/nonexistent/kubeconfig"));
  g_clear_error (&error);

  /* KUBECONFIG naming only missing files: nothing to load */
  g_setenv ("KUBECONFIG", "/nonexistent/a:/nonexistent/b", TRUE);
  none = ph_kubeconfig_load (NULL, &error);
  g_assert_null (none);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_NO_CONFIG);
  g_clear_error (&error);

  /* else ~/.kube/config */
  g_unsetenv ("KUBECONFIG");
  home = g_dir_make_tmp ("ph-kubeconfig-XXXXXX", &error);
  g_assert_no_error (error);
  kube_dir = g_build_filename (home, ".kube", NULL);
  g_mkdir (kube_dir, 0700);
  home_config = g_build_filename (kube_dir, "config", NULL);
  g_file_set_contents (home_config,
                       "clusters:\n- name: h\n  cluster:\n    server: http://127.0.0.1:1\n"
                       "contexts:\n- name: home\n  context:\n    cluster: h\n"
                       "current-context: home\n", -1, &error);
  g_assert_no_error (error);
  g_setenv ("HOME", home, TRUE);
  from_home = ph_kubeconfig_load (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ph_kubeconfig_get_current_context (from_home), ==, "home");

  if (old_home != NULL)
    g_setenv ("HOME", old_home, TRUE);
  g_unlink (home_config);
  g_rmdir (kube_dir);
  g_rmdir (home);
}

/* Whole-file errors have a structure too: a list that is not one, an
 * entry without a name, a file that cannot be read. */
static void
test_file_problems (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhKubeconfig) config = NULL;
  g_autoptr(PhKubeconfig) merged = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *full = fixture ("full.yaml");
  const char *file = NULL;
  const char *field = NULL;
  guint line = 0;

  config = ph_kubeconfig_new_from_data ("clusters: nope\nusers:\n- user: {}\n", -1, "/tmp/mem.yaml", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ph_kubeconfig_get_file_errors (config)->len, ==, 2);

  g_assert_cmpint (ph_kubeconfig_get_file_problem (config, 0, &file, &line, &field),
                   ==, PH_KUBECONFIG_PROBLEM_INVALID_VALUE);
  g_assert_cmpstr (file, ==, "/tmp/mem.yaml");
  g_assert_cmpuint (line, ==, 1);
  g_assert_cmpstr (field, ==, "clusters");
  g_assert_cmpstr (((GError *) g_ptr_array_index (ph_kubeconfig_get_file_errors (config), 0))->message,
                   ==, "/tmp/mem.yaml:1: clusters: expected a list");

  g_assert_cmpint (ph_kubeconfig_get_file_problem (config, 1, &file, &line, &field),
                   ==, PH_KUBECONFIG_PROBLEM_MISSING_FIELD);
  g_assert_cmpuint (line, ==, 3);
  g_assert_cmpstr (field, ==, "users[0].name");

  /* a directory where a file should be */
  dir = g_dir_make_tmp ("ph-kubeconfig-XXXXXX", &error);
  g_assert_no_error (error);
  {
    const char *paths[] = { dir, full, NULL };

    merged = ph_kubeconfig_load_files (paths, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (ph_kubeconfig_get_file_errors (merged)->len, ==, 1);
  g_assert_cmpint (ph_kubeconfig_get_file_problem (merged, 0, &file, &line, &field),
                   ==, PH_KUBECONFIG_PROBLEM_UNREADABLE);
  g_assert_cmpstr (file, ==, dir);
  g_assert_cmpuint (line, ==, 0);
  g_assert_null (field);
  g_rmdir (dir);
}

static void
test_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PhKubeconfig) config = ph_kubeconfig_new_from_data ("", 0, "/tmp/empty", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (ph_kubeconfig_get_contexts (config)), ==, 0);
  g_assert_null (ph_kubeconfig_get_current_context (config));

  g_clear_object (&config);
  config = ph_kubeconfig_new_from_data ("- a\n- b\n", -1, "/tmp/list", &error);
  g_assert_null (config);
  g_assert_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "/tmp/list:1: not a kubeconfig"));
}

static void
test_context_outlives_config (void)
{
  g_autoptr(PhKubeconfig) config = load_fixture ("full.yaml");
  g_autoptr(PhContext) ctx = g_object_ref (context (config, "exec-v1"));

  g_assert_finalize_object (g_steal_pointer (&config));
  g_assert_cmpstr (ph_context_get_name (ctx), ==, "exec-v1");
  g_assert_cmpstr (ph_context_get_exec (ctx)->install_hint, ==, "Install login from example.com");
}

/* kubectl prints unset strings as "" */
static const char *
json_string_or_null (JsonObject *obj,
                     const char *member)
{
  const char *value = json_object_get_string_member_with_default (obj, member, NULL);

  return (value != NULL && value[0] != '\0') ? value : NULL;
}

/* `kubectl config view --merge -o json --raw @extra` for KUBECONFIG=@list,
 * parsed. */
static JsonParser *
kubectl_config_view (const char *kubectl,
                     const char *list,
                     const char *extra)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *home = NULL;

  home = g_dir_make_tmp ("ph-kubectl-XXXXXX", &error);
  g_assert_no_error (error);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "KUBECONFIG", list, TRUE);
  /* kubectl may write a cache under HOME: keep it out of the real one */
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  proc = g_subprocess_launcher_spawn (launcher, &error, kubectl, "config", "view", "--merge",
                                      "-o", "json", "--raw", extra, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_rmdir (home);
  if (!g_subprocess_get_successful (proc))
    g_error ("kubectl config view failed: %s", err);

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&parser);
}

/* Decoded *-data member of a kubectl entry equals @ours. */
static void
assert_same_data (JsonObject *body,
                  const char *member,
                  GBytes     *ours)
{
  const char *b64 = json_object_get_string_member_with_default (body, member, NULL);
  g_autofree guchar *theirs = NULL;
  gsize len = 0;

  if (b64 == NULL || b64[0] == '\0')
    return;
  theirs = g_base64_decode (b64, &len);
  g_assert_nonnull (ours);
  g_assert_cmpmem (theirs, len, g_bytes_get_data (ours, NULL), g_bytes_get_size (ours));
}

/* The same files through `kubectl config view --merge`: the same winners. */
static void
test_kubectl_merge (void)
{
  g_autofree char *kubectl = g_find_program_in_path ("kubectl");
  g_autofree char *a = fixture ("merge/a.yaml");
  g_autofree char *b = fixture ("merge/sub/b.yaml");
  g_autofree char *c = fixture ("merge/c.yaml");
  g_autofree char *full = fixture ("full.yaml");
  g_autofree char *list = g_strjoin (":", a, b, "/nonexistent/config", c, full, NULL);
  const char *paths[] = { a, b, "/nonexistent/config", c, full, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonParser) flat_parser = NULL;
  g_autoptr(PhKubeconfig) ours = NULL;
  GListModel *contexts;
  JsonObject *root;
  JsonArray *array;
  g_auto(GStrv) our_clusters = NULL;
  g_auto(GStrv) our_users = NULL;

  if (kubectl == NULL)
    {
      g_test_skip ("kubectl is not installed");
      return;
    }

  parser = kubectl_config_view (kubectl, list, NULL);
  root = json_node_get_object (json_parser_get_root (parser));

  ours = ph_kubeconfig_load_files (paths, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (ph_kubeconfig_get_current_context (ours), ==,
                   json_object_get_string_member (root, "current-context"));

  array = json_object_get_array_member (root, "contexts");
  g_assert_cmpuint (json_array_get_length (array), ==,
                    g_list_model_get_n_items (ph_kubeconfig_get_contexts (ours)));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);
      JsonObject *body = json_object_get_object_member (entry, "context");
      const char *name = json_object_get_string_member (entry, "name");
      PhContext *ctx = context (ours, name);

      g_assert_cmpstr (ph_context_get_cluster_name (ctx), ==,
                       json_string_or_null (body, "cluster"));
      g_assert_cmpstr (ph_context_get_user_name (ctx), ==,
                       json_string_or_null (body, "user"));
      g_assert_cmpstr (ph_context_get_namespace (ctx), ==,
                       json_string_or_null (body, "namespace"));
    }

  our_clusters = ph_kubeconfig_dup_cluster_names (ours);
  array = json_object_get_array_member (root, "clusters");
  g_assert_cmpuint (json_array_get_length (array), ==, g_strv_length (our_clusters));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);
      JsonObject *body = json_object_get_object_member (entry, "cluster");
      const char *name = json_object_get_string_member (entry, "name");

      g_assert_true (g_strv_contains ((const char * const *) our_clusters, name));
      g_assert_cmpstr (ph_kubeconfig_get_cluster_server (ours, name), ==,
                       json_object_get_string_member (body, "server"));
    }

  our_users = ph_kubeconfig_dup_user_names (ours);
  array = json_object_get_array_member (root, "users");
  g_assert_cmpuint (json_array_get_length (array), ==, g_strv_length (our_users));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);
      JsonObject *body = json_object_get_object_member (entry, "user");
      const char *name = json_object_get_string_member (entry, "name");
      const char *token = json_object_get_string_member_with_default (body, "token", NULL);

      g_assert_true (g_strv_contains ((const char * const *) our_users, name));
      /* which file's entry won shows in its token */
      for (guint j = 0; token != NULL && j < g_list_model_get_n_items (ph_kubeconfig_get_contexts (ours)); j++)
        {
          g_autoptr(PhContext) ctx = g_list_model_get_item (ph_kubeconfig_get_contexts (ours), j);
          if (g_strcmp0 (ph_context_get_user_name (ctx), name) == 0)
            g_assert_cmpstr (ph_context_get_token (ctx), ==, token);
        }
    }

  /* --flatten reads the files the entries name, relative to the file
   * that names them: the same bytes as ours */
  flat_parser = kubectl_config_view (kubectl, list, "--flatten");
  root = json_node_get_object (json_parser_get_root (flat_parser));
  contexts = ph_kubeconfig_get_contexts (ours);
  for (guint i = 0; i < g_list_model_get_n_items (contexts); i++)
    {
      g_autoptr(PhContext) ctx = g_list_model_get_item (contexts, i);

      array = json_object_get_array_member (root, "clusters");
      for (guint j = 0; j < json_array_get_length (array); j++)
        {
          JsonObject *entry = json_array_get_object_element (array, j);

          if (g_strcmp0 (json_object_get_string_member (entry, "name"), ph_context_get_cluster_name (ctx)) == 0)
            assert_same_data (json_object_get_object_member (entry, "cluster"), "certificate-authority-data",
                              ph_context_get_certificate_authority_data (ctx));
        }
      array = json_object_get_array_member (root, "users");
      for (guint j = 0; j < json_array_get_length (array); j++)
        {
          JsonObject *entry = json_array_get_object_element (array, j);
          JsonObject *body = json_object_get_object_member (entry, "user");

          if (g_strcmp0 (json_object_get_string_member (entry, "name"), ph_context_get_user_name (ctx)) != 0)
            continue;
          assert_same_data (body, "client-certificate-data", ph_context_get_client_certificate_data (ctx));
          assert_same_data (body, "client-key-data", ph_context_get_client_key_data (ctx));
        }
    }
}

/* porthole-cli contexts -o json over the fixtures. */
static char *
run_cli (const char  *kubeconfig,
         const char  *format,
         int         *exit_status,
         char       **err_out)
{
  const char *cli = g_getenv ("PORTHOLE_CLI");
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                           cli, "contexts", "--kubeconfig", kubeconfig, "-o", format, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, err_out, &error);
  g_assert_no_error (error);
  *exit_status = g_subprocess_get_exit_status (proc);
  return out;
}

static JsonObject *
find_entry (JsonArray  *array,
            const char *name)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *obj = json_array_get_object_element (array, i);
      if (g_strcmp0 (json_object_get_string_member (obj, "name"), name) == 0)
        return obj;
    }
  g_error ("no entry %s", name);
  return NULL;
}

static void
test_cli_contexts (void)
{
  g_autofree char *full = fixture ("full.yaml");
  g_autofree char *broken = fixture ("broken.yaml");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *table = NULL;
  g_autofree char *missing_out = NULL;
  g_autofree char *missing_err = NULL;
  g_auto(GStrv) lines = NULL;
  const char *keys[] = { "name", "cluster", "server", "user", "namespace", "auth", "current", "error" };
  JsonArray *array;
  JsonObject *obj;
  int status = -1;

  if (g_getenv ("PORTHOLE_CLI") == NULL)
    {
      g_test_skip ("PORTHOLE_CLI is not set");
      return;
    }

  out = run_cli (full, "json", &status, &err);
  g_assert_cmpint (status, ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 8);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      obj = json_array_get_object_element (array, i);
      g_assert_cmpuint (json_object_get_size (obj), ==, G_N_ELEMENTS (keys));
      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        g_assert_true (json_object_has_member (obj, keys[k]));
      g_assert_true (json_object_get_null_member (obj, "error"));
    }
  obj = find_entry (array, "token");
  g_assert_cmpstr (json_object_get_string_member (obj, "cluster"), ==, "ca-file");
  g_assert_cmpstr (json_object_get_string_member (obj, "server"), ==, "https://127.0.0.1:6443");
  g_assert_cmpstr (json_object_get_string_member (obj, "user"), ==, "token");
  g_assert_cmpstr (json_object_get_string_member (obj, "namespace"), ==, "team-a");
  g_assert_cmpstr (json_object_get_string_member (obj, "auth"), ==, "token");
  g_assert_false (json_object_get_boolean_member (obj, "current"));
  obj = find_entry (array, "exec-v1");
  g_assert_true (json_object_get_boolean_member (obj, "current"));
  g_assert_cmpstr (json_object_get_string_member (obj, "auth"), ==, "exec");
  obj = find_entry (array, "none");
  g_assert_true (json_object_get_null_member (obj, "user"));
  g_assert_true (json_object_get_null_member (obj, "namespace"));
  /* tokens and passwords never appear */
  g_assert_null (strstr (out, "abc.def"));
  g_assert_null (strstr (out, "hunter2"));

  /* broken entries are reported, and that is not a failure */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = run_cli (broken, "json", &status, &err);
  g_assert_cmpint (status, ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 9);
  g_assert_true (json_object_get_null_member (find_entry (array, "good"), "error"));
  g_assert_nonnull (strstr (json_object_get_string_member (find_entry (array, "missing-key"), "error"),
                            "broken.yaml:32: users[2].user.client-key: file \"/nonexistent/key.pem\" not found"));

  /* the table: aligned columns, the current context starred */
  g_clear_pointer (&err, g_free);
  table = run_cli (full, "table", &status, &err);
  g_assert_cmpint (status, ==, 0);
  lines = g_strsplit (table, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "CURRENT   NAME "));
  g_assert_nonnull (strstr (lines[0], "   AUTH"));
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      const char *name_col = strstr (lines[0], "NAME");
      gboolean is_current = strstr (lines[i], "exec-v1 ") != NULL;

      g_assert_cmpint (lines[i][0], ==, is_current ? '*' : ' ');
      g_assert_cmpint (lines[i][name_col - lines[0] - 1], ==, ' ');
      g_assert_cmpint (lines[i][name_col - lines[0]], !=, ' ');
    }

  /* nothing loadable at all */
  g_clear_pointer (&err, g_free);
  missing_out = run_cli ("/nonexistent/kubeconfig", "json", &status, &missing_err);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (missing_err, "/nonexistent/kubeconfig"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/porthole/kubeconfig/fields", test_fields);
  g_test_add_func ("/porthole/kubeconfig/broken-entries", test_broken_entries);
  g_test_add_func ("/porthole/kubeconfig/field-errors", test_inline_errors);
  g_test_add_func ("/porthole/kubeconfig/malformed-yaml", test_malformed);
  g_test_add_func ("/porthole/kubeconfig/merge", test_merge);
  g_test_add_func ("/porthole/kubeconfig/load-rules", test_load_rules);
  g_test_add_func ("/porthole/kubeconfig/file-problems", test_file_problems);
  g_test_add_func ("/porthole/kubeconfig/empty", test_empty);
  g_test_add_func ("/porthole/kubeconfig/context-outlives-config", test_context_outlives_config);
  g_test_add_func ("/porthole/kubeconfig/kubectl-merge", test_kubectl_merge);
  g_test_add_func ("/porthole/kubeconfig/cli-contexts", test_cli_contexts);

  return g_test_run ();
}
