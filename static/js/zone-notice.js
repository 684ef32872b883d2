// The dashboard says so when this phone's clock shows another time than the
// account's time zone (travel, or a zone picked wrongly): times on the pages are
// shown and logged on the account's clock. "Keep" hides it for this pair of
// zones in this browser. Without JavaScript nothing shows: the pages say "in
// your time zone" beside every time.
(function () {
  var notice = document.querySelector("[data-zone-notice]");
  if (!notice || !window.Intl) return;
  var account = notice.dataset.accountZone;
  var phone;
  try {
    phone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!phone || phone === account) return;

  function clock(zone) {
    var format = { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    return new Intl.DateTimeFormat("en-GB", format).format(new Date());
  }

  var here, there;
  try {
    here = clock(phone);
    there = clock(account);
  } catch (error) {
    return; // a zone this browser does not know
  }
  if (here === there) return; // another name for the same time now
  var key = "footcare-zone-kept:" + account + ":" + phone;
  try {
    if (localStorage.getItem(key)) return;
  } catch (error) {
    // No storage: shown each time.
  }
  notice.querySelector("[data-zone-phone]").textContent = here + " (" + phone.replace(/_/g, " ") + ")";
  notice.querySelector("[data-zone-account]").textContent =
    account.replace(/_/g, " ") + ", where it is " + there;
  notice.hidden = false;
  notice.querySelector("[data-zone-keep]").addEventListener("click", function () {
    try {
      localStorage.setItem(key, "1");
    } catch (error) {
      // Hidden for this visit only.
    }
    notice.hidden = true;
  });
})();
