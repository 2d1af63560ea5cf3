// "My documents": a copy button beside each verification link (the link stays selectable without JS).
document.querySelectorAll(".copy-link").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    var input = document.getElementById(button.dataset.target);
    input.select();
    if (navigator.clipboard) {
      navigator.clipboard.writeText(input.value);
    }
    button.textContent = button.dataset.done;
  });
});
