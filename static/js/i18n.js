/* The scripts speak the page's language: t('Saved') is 'Tallennettu' on a Finnish page.
   The strings are in the same gettext catalogs as the pages' (extracted from t('...') calls by
   pybabel); fieldops/i18n.py puts this page's translations in <script id="fieldops-text">.
   t('%(n)s doors', {n: 3}) fills named values, as the Python side's gettext does;
   ngettext('%(num)s contact', '%(num)s contacts', n) picks the language's plural form (Intl.PluralRules
   over the forms the page carries for each plural category) and fills %(num)s with n. */
(function () {
  'use strict';
  var element = document.getElementById('fieldops-text');
  var messages = {};
  try {
    messages = element ? JSON.parse(element.textContent) : {};
  } catch (error) {
    messages = {};
  }
  function fill(text, values) {
    if (!values) return text;
    return text.replace(/%\((\w+)\)s/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }
  var language = document.documentElement.lang || 'en';
  var plurals = null;
  try {
    plurals = new Intl.PluralRules(language);
  } catch (error) {
    plurals = null;
  }
  window.t = function (text, values) {
    var translated = typeof messages[text] === 'string' && messages[text] ? messages[text] : text;
    return fill(translated, values);
  };
  window.ngettext = function (singular, plural, n, values) {
    var forms = messages[singular];
    var filled = Object.assign({ num: n }, values || {});
    if (!forms || typeof forms !== 'object') return fill(n === 1 ? singular : plural, filled);
    var category = plurals ? plurals.select(n) : (n === 1 ? 'one' : 'other');
    return fill(forms[category] || forms.other || (n === 1 ? singular : plural), filled);
  };
  window.fieldopsLanguage = language;
}());
