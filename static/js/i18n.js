/* The scripts speak the page's language: t('Saved') is 'Tallennettu' on a Finnish page.
   The strings are in the same gettext catalogs as the pages' (extracted from t('...') calls by
   pybabel); fieldops/i18n.py puts this page's translations in <script id="fieldops-text">.
   t('%(n)s doors', {n: 3}) fills named values, as the Python side's gettext does. */
(function () {
  'use strict';
  var element = document.getElementById('fieldops-text');
  var messages = {};
  try {
    messages = element ? JSON.parse(element.textContent) : {};
  } catch (error) {
    messages = {};
  }
  window.t = function (text, values) {
    var translated = messages[text] || text;
    if (!values) return translated;
    return translated.replace(/%\((\w+)\)s/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  };
  window.fieldopsLanguage = document.documentElement.lang || 'en';
}());
