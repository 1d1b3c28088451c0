-- ecs-netmode-lsp: warns when an Ansible `community.aws.ecs_taskdefinition`
-- task sets `network_mode` to anything but `awsvpc` (or leaves it out), and
-- offers a quick fix that sets it to `awsvpc`.
--
-- Install the server:  pipx install ecs-netmode-lsp   (or: pip install ecs-netmode-lsp)
-- Use it (Neovim >= 0.11), with this directory on 'runtimepath':
--   vim.lsp.enable('ecs_netmode_lsp')

---@type vim.lsp.Config
return {
  cmd = { 'ecs-netmode-lsp' },
  filetypes = { 'yaml', 'yaml.ansible' },
  root_markers = { 'ansible.cfg', 'galaxy.yml', 'requirements.yml', '.ansible-lint', 'playbooks', 'roles', '.git' },
  settings = {
    ecsNetmode = { enable = true, severity = 'warning', flagMissing = true, suppressionKeyword = 'dd-iac-scan' },
  },
  init_options = { enable = true, severity = 'warning', flagMissing = true, suppressionKeyword = 'dd-iac-scan' },
  ---@param params lsp.InitializeParams
  ---@param config vim.lsp.ClientConfig
  before_init = function(params, config)
    -- Settings changed with vim.lsp.config() also reach the server at startup.
    local ecs = vim.tbl_get(config, 'settings', 'ecsNetmode')
    if ecs then
      params.initializationOptions = vim.tbl_deep_extend('force', config.init_options or {}, ecs)
    end
  end,
}
