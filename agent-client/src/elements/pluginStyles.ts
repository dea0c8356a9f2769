import pluginCss from '../react/plugin.css?inline';

const MARK = 'data-earshot-plugin';

/**
 * The components' stylesheet, added once to the document (or to the shadow root the element sits in), so
 * a page that is not built with a bundler needs no separate CSS file. A host's own `--earshot-*` values
 * still theme it: they are ordinary custom properties of the page.
 */
export function adoptPluginStyles(node: Node): void {
  const root = node.getRootNode();
  const target = root instanceof ShadowRoot ? root : document.head;
  if (target.querySelector(`style[${MARK}]`)) return;
  const style = document.createElement('style');
  style.setAttribute(MARK, '');
  style.textContent = pluginCss;
  target.prepend(style);
}
